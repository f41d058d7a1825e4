//! On tables small enough to list, negotiators who search for their offers
//! (as they must on large tables) reach the same results as negotiators
//! who choose from the listed table, statistically: for each scenario the
//! 95% confidence interval of the difference in the chance of a deal, in
//! the rounds to a deal and in each party's expected utility lies within
//! a stated margin (an equivalence test). Protocols that make no offers of
//! their own (mediated, ultimatum) must give the same answers exactly.

// A failing test unwraps, expects or panics: that is how it fails; and it
// may tell the runner what it covered.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

use truce_engine::generate::{generate, Shape};
use truce_engine::model::{Scenario, Spread};
use truce_engine::simulation::{Protocol, Strategy};
use truce_sim::monte::{one_run, shared_valuation};
use truce_sim::{Config, Offers, Outcome, Table};

/// Largest difference in the chance of a deal deemed the same.
const P_MARGIN: f64 = 0.05;
/// Largest difference in a party's expected utility deemed the same.
const U_MARGIN: f64 = 0.05;
/// Largest difference in mean rounds to a deal, as a share of the rounds.
const ROUNDS_MARGIN: f64 = 0.10;

const RUNS: u64 = 1500;

fn example() -> Scenario {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ukraine-2025.toml"
    );
    let text = std::fs::read_to_string(path).expect("the shipped example");
    truce_engine::parse_scenario(&text).unwrap()
}

/// A generated scenario whose reservation values and first weights are
/// uncertain, so runs differ.
fn generated(seed: u64, parties: usize, options: Vec<u16>) -> Scenario {
    let mut s = generate(
        &Shape {
            parties,
            options,
            mediator: true,
            red_lines: 1,
            deferrable: false,
            reservation: (0.1, 0.5),
            plans: 1,
            linkages: 0,
            value_levels: 0,
            numeric_issues: 1,
            consent_parties: 0,
        },
        seed,
    )
    .unwrap()
    .into_parts();
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
    Scenario::new(s).unwrap()
}

fn outcomes<'s>(s: &'s Scenario, c: &Config, offers: Offers) -> (Table<'s>, Vec<Outcome>) {
    let mut c = c.clone();
    c.offers = offers;
    c.runs = RUNS;
    let t = Table::new(s, c).unwrap();
    assert_eq!(t.listed, offers == Offers::Listed);
    let shared = shared_valuation(&t);
    let out = (0..RUNS)
        .map(|run| one_run(&t, shared.as_ref(), run, None))
        .collect();
    (t, out)
}

/// Mean and variance of the mean.
fn mean_var(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    if xs.is_empty() {
        return (0.0, 0.0);
    }
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0).max(1.0);
    (m, v / n)
}

/// Fails unless the 95% interval of mean(a) − mean(b) lies within ±margin.
fn equivalent(what: &str, a: &[f64], b: &[f64], margin: f64) {
    let (ma, va) = mean_var(a);
    let (mb, vb) = mean_var(b);
    let d = ma - mb;
    let half = 1.96 * (va + vb).sqrt();
    println!("{what}: listed {ma:.4}, searched {mb:.4}, difference {d:+.4} ± {half:.4} (margin {margin})");
    assert!(
        d.abs() + half <= margin,
        "{what}: listed {ma:.4} and searched {mb:.4} differ by {d:+.4} ± {half:.4}, beyond ±{margin}"
    );
}

fn compare(name: &str, s: &Scenario, c: &Config) {
    let (t, listed) = outcomes(s, c, Offers::Listed);
    let (_, searched) = outcomes(s, c, Offers::Searched);
    let deal = |o: &[Outcome]| -> Vec<f64> {
        o.iter()
            .map(|x| f64::from(u8::from(x.package.is_some())))
            .collect()
    };
    equivalent(
        &format!("{name}: chance of a deal"),
        &deal(&listed),
        &deal(&searched),
        P_MARGIN,
    );
    let rounds = |o: &[Outcome]| -> Vec<f64> {
        o.iter()
            .filter(|x| x.package.is_some())
            .map(|x| f64::from(x.round))
            .collect()
    };
    let (rl, rs) = (rounds(&listed), rounds(&searched));
    if rl.len() > 30 && rs.len() > 30 {
        let scale = mean_var(&rl).0.max(1.0);
        equivalent(
            &format!("{name}: rounds to a deal"),
            &rl,
            &rs,
            ROUNDS_MARGIN * scale,
        );
    }
    for (k, _) in t.valued.iter().enumerate() {
        let u = |o: &[Outcome]| -> Vec<f64> { o.iter().map(|x| x.utilities[k]).collect() };
        equivalent(
            &format!("{name}: expected utility of {}", t.party_id(k)),
            &u(&listed),
            &u(&searched),
            U_MARGIN,
        );
    }
}

fn config(s: &Scenario, strategies: &[&str]) -> Config {
    let mut c = Config::from_scenario(s);
    c.protocol = Protocol::Alternating;
    for (p, name) in strategies.iter().enumerate().take(s.parties.len()) {
        c.strategies[p] = Some(Strategy::parse(name).unwrap());
    }
    c
}

#[test]
fn the_example_is_the_same_whether_offers_are_listed_or_searched() {
    let s = example();
    compare("ukraine-2025", &s, &Config::from_scenario(&s));
}

#[test]
fn generated_talks_are_the_same_whether_offers_are_listed_or_searched() {
    let cases: [(u64, usize, Vec<u16>, [&str; 4]); 4] = [
        (
            1,
            2,
            vec![4, 4, 3, 3, 4],
            ["linear", "linear", "linear", "linear"],
        ),
        (
            2,
            2,
            vec![5, 3, 4, 4, 3, 2],
            ["boulware", "conceder", "linear", "linear"],
        ),
        (
            3,
            3,
            vec![4, 3, 3, 4, 3],
            ["conceder", "linear", "boulware", "linear"],
        ),
        (
            4,
            2,
            vec![3, 4, 4, 3, 3, 3],
            ["tit-for-tat", "linear", "linear", "linear"],
        ),
    ];
    for (seed, parties, options, strategies) in cases {
        let s = generated(seed, parties, options);
        let mut c = config(&s, &strategies);
        c.rounds = 40;
        compare(&format!("generated {seed}"), &s, &c);
    }
}

#[test]
fn protocols_without_offers_of_their_own_give_the_same_answers() {
    for seed in 0..6 {
        let s = generated(seed, 2 + (seed as usize % 2), vec![3, 4, 3, 4]);
        for protocol in [Protocol::Mediated, Protocol::Ultimatum] {
            let mut c = config(&s, &[]);
            c.protocol = protocol;
            c.runs = 200;
            let answer = |offers: Offers| {
                let mut c = c.clone();
                c.offers = offers;
                truce_sim::simulate(&s, &c, &[], &|_| {}).unwrap().summary
            };
            let (listed, searched) = (answer(Offers::Listed), answer(Offers::Searched));
            assert_eq!(
                listed.p_agreement, searched.p_agreement,
                "seed {seed} {protocol:?}"
            );
            assert_eq!(listed.deals, searched.deals, "seed {seed} {protocol:?}");
            assert_eq!(
                listed.mean_rounds, searched.mean_rounds,
                "seed {seed} {protocol:?}"
            );
        }
    }
}

#[test]
fn a_table_too_large_to_list_is_searched() {
    // 4^24 packages: far past the listing limit.
    let s = generated(9, 3, vec![4; 24]);
    let mut c = config(&s, &["linear", "conceder", "boulware", "linear"]);
    c.runs = 40;
    c.rounds = 30;
    let t = Table::new(&s, c.clone()).unwrap();
    assert!(!t.listed);
    let shared = shared_valuation(&t);
    let mut deals = 0;
    for run in 0..c.runs {
        let o = one_run(&t, shared.as_ref(), run, None);
        if let Some(x) = o.package {
            deals += 1;
            for &k in &t.negotiators {
                assert!(t.red_ok(k, x) || !t.strategies[k].respect_red_lines);
                assert!(o.utilities[k] >= 0.0 && o.utilities[k] <= 1.0);
            }
        }
    }
    assert!(
        deals > 0,
        "linear and conceding parties reached no deal in 40 runs"
    );
    // Listing it is refused, with the way out in the message.
    c.offers = Offers::Listed;
    let e = Table::new(&s, c).unwrap_err().to_string();
    assert!(e.contains("--offers search"), "{e}");
}
