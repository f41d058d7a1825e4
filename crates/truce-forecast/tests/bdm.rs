//! The expected-utility model on cases worked by hand from its formulas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use truce_forecast::bdm::{run, Ending, Settings};
use truce_forecast::{forecast, Actor, Dimension, Model, Problem};

fn two(c: (f64, f64), x: (f64, f64)) -> Problem {
    Problem::new(
        "two",
        vec![
            Actor {
                name: "a".into(),
                capability: c.0,
            },
            Actor {
                name: "b".into(),
                capability: c.1,
            },
        ],
        vec![Dimension::continuous("d")],
        vec![vec![Some(x.0)], vec![Some(x.1)]],
        vec![vec![100.0], vec![100.0]],
    )
    .unwrap()
}

#[test]
fn two_equal_actors_have_nothing_to_gain_and_stay() {
    // P = 1/2; a challenge wins 2 or loses 2 (r = 1), the status quo is
    // worth 0: expected utility 0 both ways, so no offer moves anyone.
    let r = run(&two((1.0, 1.0), (0.0, 100.0)), 0, Settings::default());
    assert!(r.challenges.is_empty(), "{:?}", r.challenges);
    assert_eq!(r.rounds.len(), 2, "one round that moved nobody");
    // The median of two equal votes: the lower position.
    assert_eq!(r.forecast, Some(0.0));
}

#[test]
fn the_weaker_actor_gives_way_to_the_stronger() {
    // P(b prevails) = 10/11. a is the more exposed (b's expected utility of
    // challenging it is the larger), so R_a = 1 and r_a = 1/2. In a's eyes
    // (r = 1/2, distance 1): success 2, failure -2, status quo
    // 2 - 4·0.5^(1/2); its expected utility of challenging b is
    // -18/11 - (2 - 4·0.5^(1/2)) < 0, b's of challenging a is
    // 18/11 - (2 - 4·0.5^(1/2)) > 0 and larger: a compromises, moving that
    // share of the way.
    let p = two((1.0, 10.0), (0.0, 100.0));
    let r = run(&p, 0, Settings::default());
    let sq = 2.0 - 4.0 * 0.5f64.sqrt();
    let (eu_ab, eu_ba) = (-18.0 / 11.0 - sq, 18.0 / 11.0 - sq);
    let first = &r.challenges[0];
    assert_eq!((first.round, first.challenger, first.target), (1, 1, 0));
    assert_eq!(first.ending, Ending::Compromise);
    assert!(
        (first.to - 100.0 * (eu_ab / eu_ba).abs()).abs() < 1e-9,
        "{first:?}"
    );
    // Round after round a keeps giving way; the forecast is b's position.
    assert_eq!(r.forecast, Some(100.0));
    assert!(r
        .challenges
        .iter()
        .all(|c| c.target == 0 && c.challenger == 1));
    let out = forecast(&p, Model::Bdm);
    assert_eq!(out.positions, vec![Some(100.0)]);
    assert_eq!(
        out.rounds[0],
        vec![vec![Some(0.0)], vec![Some(100.0)]],
        "round 0 is the input"
    );
}

#[test]
fn an_issue_nobody_takes_a_position_on_has_no_forecast() {
    let p = Problem::new(
        "none",
        vec![Actor {
            name: "a".into(),
            capability: 1.0,
        }],
        vec![Dimension::continuous("d")],
        vec![vec![None]],
        vec![vec![0.0]],
    )
    .unwrap();
    assert_eq!(forecast(&p, Model::Bdm).positions, vec![None]);
}
