//! Properties every simulated run must have, on random scenarios with
//! random strategies and protocols: agreements keep the red lines of every
//! party that keeps to them, nobody accepts (or proposes) less than its
//! reservation value, the same seed gives the same answer on any number of
//! threads, and the best and final offer is the one `analyze` finds.

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
use truce_engine::analysis::{analyze, AnalysisOptions};
use truce_engine::generate::{generate, Shape};
use truce_engine::model::{Consequence, Deadline, Noted, Scenario, Spread};
use truce_engine::simulation::{Protocol, Strategy};
use truce_sim::monte::{draw_run, shared_valuation};
use truce_sim::protocol::play;
use truce_sim::{Config, Event, Refusal, Table};

const STRATEGIES: [&str; 8] = [
    "boulware",
    "linear",
    "conceder",
    "time:0.5",
    "tit-for-tat",
    "hardliner",
    "linear,ignore-red-lines",
    "conceder,ignore-red-lines",
];

/// A generated scenario, with uncertain reservation values when asked.
fn scenario(seed: u64, parties: usize, options: Vec<u16>, uncertain: bool) -> Scenario {
    let mut s = generate(
        &Shape {
            parties,
            options,
            mediator: true,
            red_lines: 1,
            deferrable: seed.is_multiple_of(2),
            reservation: (0.1, 0.5),
            plans: 1,
            linkages: 1,
            value_levels: 0,
            numeric_issues: 0,
            consent_parties: 0,
        },
        seed,
    )
    .unwrap()
    .into_parts();
    if uncertain {
        // Sanctions imposed after round 2 make no deal worse for the first
        // party, and after round 4 better for the second.
        for (k, round, value) in [(0usize, 2u32, 0.05), (1, 4, 0.6)] {
            s.deadlines.push(Deadline {
                id: format!("change_{k}"),
                label: "sanctions".into(),
                date: None,
                round: Some(round),
                set_by: None,
                consequence: Consequence::ReservationChange {
                    party: k,
                    reservation: Noted {
                        value,
                        basis: None,
                        spread: Some(Spread::Uniform {
                            lo: value - 0.05,
                            hi: value + 0.05,
                        }),
                    },
                },
                basis: None,
            });
        }
        for p in s.preferences.iter_mut().flatten() {
            let r = p.reservation.value;
            p.reservation.spread = Some(Spread::Uniform {
                lo: (r - 0.1).max(0.0),
                hi: (r + 0.1).min(1.0),
            });
            if let Some(ip) = p.issues.first_mut() {
                let w = ip.weight.value;
                ip.weight.spread = Some(Spread::Triangular {
                    lo: w * 0.5,
                    hi: (w * 1.5).min(1.0),
                });
            }
        }
    }
    Scenario::new(s).unwrap()
}

fn config(s: &Scenario, protocol: Protocol, picks: &[usize], deadline: Option<u32>) -> Config {
    let mut c = Config::from_scenario(s);
    c.protocol = protocol;
    c.rounds = 12;
    c.runs = 24;
    c.seed = 7;
    c.deadline = deadline;
    for (p, pick) in picks.iter().enumerate().take(s.parties.len()) {
        c.strategies[p] = Some(Strategy::parse(STRATEGIES[pick % STRATEGIES.len()]).unwrap());
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn agreements_keep_red_lines_and_reservation_values(
        seed in 0u64..1000,
        parties in 2usize..4,
        options in prop::collection::vec(2u16..4, 2..5),
        protocol in prop::sample::select(vec![Protocol::Alternating, Protocol::Mediated, Protocol::Ultimatum, Protocol::Sequenced]),
        picks in prop::collection::vec(0usize..8, 5),
        deadline in prop::option::of(1u32..10),
        uncertain in any::<bool>(),
        searched in any::<bool>(),
    ) {
        let s = scenario(seed, parties, options, uncertain);
        let mut c = config(&s, protocol, &picks, deadline);
        // Two stages: the first issues, then the rest.
        c.stages = vec![(0..s.issues.len() / 2).collect()];
        // Offers found as on a table too large to list (the sequenced
        // protocol lists its stages, so it refuses that).
        if searched {
            c.offers = truce_sim::Offers::Searched;
            if protocol == Protocol::Sequenced {
                prop_assert!(Table::new(&s, c.clone()).is_err());
                c.offers = truce_sim::Offers::Auto;
            }
        }
        let t = Table::new(&s, c).unwrap();
        let shared = shared_valuation(&t);
        for run in 0..t.config.runs {
            let (valuation, reservation, mut rng) = draw_run(&t, shared.as_ref(), run);
            let v = &*valuation;
            let mut events = Vec::new();
            let outcome = play(&t, v, reservation.clone(), &mut rng, Some(&mut events));
            let mut now = reservation.clone();
            let mut text = None;
            for e in &events {
                match *e {
                    Event::Text { package, .. } => text = Some(package),
                    // A caveat that ends a red-line crossing: the text
                    // crossed that red line, of that party's.
                    Event::Caveat { party, ends_red_line: Some(r), .. } => {
                        let x = text.unwrap();
                        prop_assert!(t.red_mask[party] >> r & 1 == 1);
                        prop_assert!(!s.red_lines[r].constraint.holds(&t.package(x)), "{:?}: the text does not cross it", e);
                    }
                    // A refusal says why, truly.
                    Event::Reject { party, package, reason, .. } => {
                        let u = v.utilities.get(package, party);
                        match reason {
                            Refusal::RedLine { red_line } => {
                                prop_assert!(t.red_mask[party] >> red_line & 1 == 1);
                                let p = t.package(package);
                                prop_assert!(!s.red_lines[red_line].constraint.holds(&p));
                                if protocol == Protocol::Mediated {
                                    // No single change would have ended it.
                                    for i in 0..p.len() {
                                        for &o in &t.allowed[i] {
                                            let mut q = p.clone();
                                            q[i] = o;
                                            prop_assert!(!t.red_ok(party, t.index_of(&q).unwrap()), "{:?}: changing issue {} ends it", e, i);
                                        }
                                    }
                                }
                            }
                            Refusal::BelowReservation { utility, reservation } => {
                                prop_assert_eq!(utility, u);
                                prop_assert!(utility < reservation);
                                prop_assert_eq!(reservation, now[party]);
                            }
                            Refusal::BelowDemand { utility, demand } => {
                                prop_assert_eq!(utility, u);
                                prop_assert!(utility < demand);
                            }
                        }
                    }
                    Event::ReservationChanged { party, value, .. } => now[party] = value,
                    // In stages, packages stand in for partial ones: only
                    // the ratified whole is checked below.
                    Event::Accept { party, package, .. } | Event::Offer { party, package, .. }
                        if protocol != Protocol::Sequenced =>
                    {
                        let u = v.utilities.get(package, party);
                        prop_assert!(u >= now[party], "{e:?}: utility {u} below reservation {}", now[party]);
                        if t.strategies[party].respect_red_lines {
                            prop_assert!(t.red_ok(party, package), "{e:?} crosses the party's red line");
                        }
                    }
                    _ => {}
                }
            }
            if let Some(x) = outcome.package {
                for &k in &t.negotiators {
                    if t.strategies[k].respect_red_lines {
                        prop_assert!(t.red_ok(k, x), "run {run}: agreement crosses a red line of {}", t.party_id(k));
                    }
                    prop_assert!(v.utilities.get(x, k) >= now[k], "run {run}: agreement below the reservation of {}", t.party_id(k));
                }
                let closed = matches!(events.last(), Some(Event::Agreement { package, .. }) if *package == x);
                prop_assert!(closed, "run {run}: the minutes do not end in the agreement");
            }
        }
    }

    #[test]
    fn the_best_and_final_offer_is_the_one_analyze_finds(seed in 0u64..1000, parties in 2usize..4, searched in any::<bool>()) {
        let s = scenario(seed, parties, vec![3, 3, 2, 4], false);
        let mut c = config(&s, Protocol::Ultimatum, &[], None);
        if searched {
            c.offers = truce_sim::Offers::Searched;
        }
        let t = Table::new(&s, c).unwrap();
        let a = analyze(&s, &AnalysisOptions::default()).unwrap();
        let from_analysis = a.best_offer.map(|b| b.point.package);
        let from_simulation = t.best_offer.map(|x| t.package(x));
        prop_assert_eq!(from_simulation, from_analysis);
    }

    #[test]
    fn the_opening_text_and_the_ends_of_each_ladder_are_the_same_searched(seed in 0u64..1000, parties in 2usize..4, fix in any::<bool>()) {
        let s = scenario(seed, parties, vec![3, 3, 2, 4], false);
        let mut c = config(&s, Protocol::Mediated, &[], None);
        if fix {
            c.fixed[1] = Some(1);
        }
        let listed = Table::new(&s, c.clone()).unwrap();
        c.offers = truce_sim::Offers::Searched;
        let searched = Table::new(&s, c).unwrap();
        prop_assert!(listed.listed && !searched.listed);
        prop_assert_eq!(listed.opening_text, searched.opening_text);
        let (a, b) = (shared_valuation(&listed).unwrap(), shared_valuation(&searched).unwrap());
        for k in 0..listed.valued.len() {
            let ends = |v: &truce_sim::world::Valuation| v.ladders[k].as_ref().map(|l| (l.best(), l.worst()));
            prop_assert_eq!(ends(&a), ends(&b), "party {}", k);
        }
        for x in (0..listed.count).step_by(7) {
            for k in 0..listed.valued.len() {
                prop_assert_eq!(listed.red_ok(k, x), searched.red_ok(k, x));
                // Summed in another grouping: equal to the last bits.
                prop_assert!((a.utilities.get(x, k) - b.utilities.get(x, k)).abs() < 1e-12);
            }
            prop_assert_eq!(listed.binding_crossed(x), searched.binding_crossed(x));
        }
    }
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let s = scenario(3, 3, vec![3, 4, 2, 3], true);
    let mut c = config(&s, Protocol::Alternating, &[0, 1, 2, 4], Some(8));
    c.runs = 2000;
    let variations = vec![truce_engine::simulation::parse_variation(&s, "deadline=4,9").unwrap()];
    let in_pool = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| truce_sim::simulate(&s, &c, &variations, &|_| {}).unwrap())
    };
    let one = in_pool(1);
    assert_eq!(one, in_pool(2));
    assert_eq!(one, in_pool(5));
    assert_eq!(one.variants.len(), 2);
    // And another seed gives another answer.
    c.seed += 1;
    let other = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| truce_sim::simulate(&s, &c, &variations, &|_| {}).unwrap());
    assert_ne!(one.summary.expected_utility, other.summary.expected_utility);
}

#[test]
fn two_hardliners_agree_only_on_a_package_best_for_both() {
    for seed in 0..20 {
        let s = scenario(seed, 2, vec![3, 3, 3], false);
        let t = Table::new(&s, config(&s, Protocol::Alternating, &[5, 5, 5], None)).unwrap();
        let shared = shared_valuation(&t).unwrap();
        let out = truce_sim::monte::one_run(&t, Some(&shared), 0, None);
        if let Some(x) = out.package {
            for &k in &t.negotiators {
                let best = shared.ladders[k].as_ref().and_then(|l| l.best()).unwrap();
                assert_eq!(shared.utilities.get(x, k), best, "seed {seed}");
            }
        }
    }
}

#[test]
fn conceders_agree_more_often_than_boulware_parties_before_a_close_deadline() {
    let s = scenario(11, 2, vec![4, 4, 3, 3], true);
    let p = |strategy: usize| {
        let mut c = config(&s, Protocol::Alternating, &[strategy; 4], Some(3));
        c.runs = 400;
        truce_sim::simulate(&s, &c, &[], &|_| {}).unwrap().summary
    };
    let (conceder, boulware) = (p(2), p(0));
    assert!(
        conceder.p_agreement_before_deadline >= boulware.p_agreement_before_deadline,
        "conceder {} < boulware {}",
        conceder.p_agreement_before_deadline,
        boulware.p_agreement_before_deadline
    );
    if let (Some(c), Some(b)) = (conceder.mean_rounds, boulware.mean_rounds) {
        assert!(c <= b, "conceders took {c} rounds, Boulware parties {b}");
    }
}

#[test]
fn a_reservation_change_takes_effect_after_its_round() {
    let s = scenario(5, 2, vec![3, 3, 3], true);
    let mut c = config(&s, Protocol::Alternating, &[0, 0], None);
    c.rounds = 10;
    let t = Table::new(&s, c).unwrap();
    let mut events = Vec::new();
    truce_sim::monte::one_run(&t, None, 0, Some(&mut events));
    let changes: Vec<(u32, usize)> = events
        .iter()
        .filter_map(|e| match e {
            Event::ReservationChanged { round, party, .. } => Some((*round, *party)),
            _ => None,
        })
        .collect();
    let k0 = t.valued.iter().position(|&p| p == 0).unwrap();
    let k1 = t.valued.iter().position(|&p| p == 1).unwrap();
    // Boulware parties hold out past round 5 here; each change comes the
    // round after its deadline.
    assert!(events.last().map_or(0, |e| e.round()) > 5, "{events:?}");
    assert_eq!(changes, vec![(3, k0), (5, k1)]);
}

/// A text across a party's red line draws the caveat that ends the
/// crossing even when the change costs the party utility (it used to
/// reject without saying what would fix it); when no single change can end
/// the crossing, the rejection names the red line.
#[test]
fn a_red_line_crossed_by_the_text_draws_the_caveat_that_ends_it() {
    let text = |rule: &str| {
        format!(
            r#"
[scenario]
name = "Caveat test"
description = "Test data; every number is an assumption."

[[parties]]
id = "us"
name = "Mediator"
role = "mediator"

[[parties]]
id = "ua"
name = "Ukraine"
role = "party"

[[parties]]
id = "ru"
name = "Russia"
role = "party"

[[issues]]
id = "sanctions"
question = "Sanctions"
options = [{{ id = "kept", label = "kept" }}, {{ id = "eased", label = "eased" }}]

[[issues]]
id = "line"
question = "Line"
options = [{{ id = "contact", label = "contact" }}, {{ id = "adjusted", label = "adjusted" }}]

[[preferences]]
party = "ua"
reservation = 0.1
issues = [
  {{ issue = "sanctions", weight = 0.5, values = {{ kept = 0.2, eased = 1.0 }} }},
  {{ issue = "line", weight = 0.5, values = {{ contact = 0.0, adjusted = 1.0 }} }},
]

[[preferences]]
party = "ru"
reservation = 0.1
issues = [
  {{ issue = "sanctions", weight = 0.5, values = {{ kept = 0.0, eased = 1.0 }} }},
  {{ issue = "line", weight = 0.5, values = {{ contact = 1.0, adjusted = 0.0 }} }},
]

[[preferences]]
party = "us"
reservation = 0.0
issues = [
  {{ issue = "sanctions", weight = 0.5, values = {{ kept = 0.0, eased = 1.0 }} }},
  {{ issue = "line", weight = 0.5, values = {{ contact = 1.0, adjusted = 0.5 }} }},
]

[[red_lines]]
id = "ua_kept"
party = "ua"
label = "sanctions stay until the line is adjusted"
rule = '{rule}'

[[plans]]
id = "draft"
name = "Draft"
proposed_by = "us"
provisions = {{ sanctions = "eased", line = "contact" }}
"#
        )
    };
    let first_answer = |rule: &str| {
        let s = truce_engine::parse_scenario(&text(rule)).unwrap();
        let mut c = Config::from_scenario(&s);
        c.protocol = Protocol::Mediated;
        c.rounds = 3;
        c.runs = 1;
        let t = Table::new(&s, c).unwrap();
        let mut events = Vec::new();
        truce_sim::monte::one_run(&t, None, 0, Some(&mut events));
        let ua = t.valued.iter().position(|&p| p == 1).unwrap();
        events
            .into_iter()
            .find(|e| matches!(e, Event::Caveat { party, .. } | Event::Reject { party, .. } if *party == ua))
            .unwrap()
    };
    // Ending the crossing (sanctions kept) costs Ukraine 0.4 of utility;
    // adjusting the line would gain it more but leave the crossing.
    match first_answer(r#"sanctions == "kept""#) {
        Event::Caveat {
            issue,
            option,
            ends_red_line,
            ..
        } => {
            assert_eq!(ends_red_line, Some(0));
            assert_eq!((issue, option), (0, 0));
        }
        e => panic!("expected a caveat, got {e:?}"),
    }
    // Two ways to end it: the better one for Ukraine (adjusting the line).
    match first_answer(r#"sanctions == "kept" or line == "adjusted""#) {
        Event::Caveat {
            issue,
            option,
            ends_red_line,
            ..
        } => {
            assert_eq!(ends_red_line, Some(0));
            assert_eq!((issue, option), (1, 1));
        }
        e => panic!("expected a caveat, got {e:?}"),
    }
    // Both issues must change to end it: no single change does.
    match first_answer(r#"sanctions == "kept" and line == "adjusted""#) {
        Event::Reject { reason, .. } => assert_eq!(reason, Refusal::RedLine { red_line: 0 }),
        e => panic!("expected a rejection naming the red line, got {e:?}"),
    }
}
