//! Bueno de Mesquita's expected-utility model, one issue at a time, as
//! Scholz, Calbert and Smith (2011) reconstruct it from his publications.
//! Where their description leaves a choice open, the choice made here is
//! named in a comment and in docs/forecast.md.
//!
//! Each round: the median voter position is found by pairwise votes; each
//! actor's risk exponent is set from how exposed it is to challenges; each
//! actor weighs, for every other actor, its expected utility of
//! challenging that actor and of being challenged by it (both in its own
//! risk attitude); those pairs fall into conflict, compromise or
//! capitulation; every actor then takes, among the offers that would move
//! it, the one that moves it least; all move at once. Rounds stop when no
//! position moves by more than a millionth of the range, or after
//! `max_rounds`. The forecast is the median voter position of the last
//! round.

use crate::Problem;
use serde::Serialize;

/// The model's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Probability that the status quo holds when an actor does not
    /// challenge (BDM's Q; 1 in his 1985 and 1997 accounts).
    pub q: f64,
    /// Most rounds.
    pub max_rounds: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            q: 1.0,
            max_rounds: 100,
        }
    }
}

/// How a pair's round ended for the actor that moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// Both expect to gain from a challenge; the one expecting less loses
    /// and takes the other's position.
    Conflict,
    /// The challenger gains more than the target expects to lose: the
    /// target moves part of the way, in proportion.
    Compromise,
    /// The target expects to lose more than the challenger gains: it takes
    /// the challenger's position.
    Capitulation,
}

/// One accepted offer: in round `round`, actor `target` moved toward
/// `challenger` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Challenge {
    /// The round (1 for the first).
    pub round: usize,
    /// The actor whose position prevailed.
    pub challenger: usize,
    /// The actor that moved.
    pub target: usize,
    /// How it ended.
    pub ending: Ending,
    /// The target's new position.
    pub to: f64,
}

/// One issue's run: the forecast, every actor's position per round (the
/// first is the input), the challenges that moved someone.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// The median voter position after the last round.
    pub forecast: Option<f64>,
    /// Per round, per actor (none: no position).
    pub rounds: Vec<Vec<Option<f64>>>,
    /// The accepted offers, round by round.
    pub challenges: Vec<Challenge>,
}

struct Actor {
    /// Index in the problem.
    id: usize,
    x: f64,
    c: f64,
    /// Salience in [0, 1].
    s: f64,
    r: f64,
}

/// c·s·(distance to x_k − distance to x_j)/range: how much actor `a`
/// prefers x_j to x_k, weighted (votes are linear in distance, as in
/// Scholz et al.'s equation for them; risk enters the utilities only).
fn vote(a: &Actor, xj: f64, xk: f64, range: f64) -> f64 {
    a.c * a.s * ((a.x - xk).abs() - (a.x - xj).abs()) / range
}

/// The position, among the actors', with the most votes summed over every
/// pairwise contest (the lowest of equals).
fn median(actors: &[Actor], range: f64) -> f64 {
    let mut best: Option<(f64, f64)> = None;
    for a in actors {
        let total: f64 = actors
            .iter()
            .map(|b| actors.iter().map(|v| vote(v, a.x, b.x, range)).sum::<f64>())
            .sum();
        let better = match best {
            None => true,
            Some((t, x)) => total > t + 1e-12 || ((total - t).abs() <= 1e-12 && a.x < x),
        };
        if better {
            best = Some((total, a.x));
        }
    }
    best.map_or(0.0, |b| b.1)
}

/// The probability that x_i prevails over x_j: the votes for it over all
/// votes cast on the pair (one half when nobody cares).
fn probability(actors: &[Actor], xi: f64, xj: f64, range: f64) -> f64 {
    let (mut for_i, mut all) = (0.0, 0.0);
    for a in actors {
        let v = vote(a, xi, xj, range);
        if v > 0.0 {
            for_i += v;
        }
        all += v.abs();
    }
    if all > 0.0 {
        for_i / all
    } else {
        0.5
    }
}

/// Every pair's probability this round: p[i·n + j] that x_i prevails over
/// x_j.
fn probabilities(actors: &[Actor], range: f64) -> Vec<f64> {
    let n = actors.len();
    let mut p = vec![0.5; n * n];
    for i in 0..n {
        for j in 0..n {
            if i != j {
                p[i * n + j] = probability(actors, actors[i].x, actors[j].x, range);
            }
        }
    }
    p
}

/// An actor's utility of an outcome `t` (0 best, 1 worst) in risk attitude
/// `r`: 2 − 4·t^r.
fn utility(t: f64, r: f64) -> f64 {
    let t = t.max(0.0);
    // pow(t, 1) is t exactly; skipping it changes nothing but the time.
    2.0 - 4.0 * if r == 1.0 { t } else { t.powf(r) }
}

/// Expected utilities, in the risk attitude `r` of the actor weighing
/// them, of `i` challenging `j` and of `j` challenging `i` (Scholz et
/// al.'s EU(i,j) with the status-quo term), given p[i·n + j].
#[allow(clippy::too_many_arguments)]
fn eu_pair(
    actors: &[Actor],
    p: &[f64],
    i: usize,
    j: usize,
    r: f64,
    mu: f64,
    range: f64,
    q: f64,
) -> (f64, f64) {
    let n = actors.len();
    let (xi, xj) = (actors[i].x, actors[j].x);
    let d = (xi - xj).abs() / range;
    let success = utility(0.5 - 0.5 * d, r);
    let failure = utility(0.5 + 0.5 * d, r);
    let status_quo = utility(0.5, r);
    let one = |a: usize, b: usize| {
        let (xa, xb) = (actors[a].x, actors[b].x);
        // With Q below 1: T = 1 when the median lies nearer a than b does
        // (the status quo is then expected to move a's way).
        let m = ((xa - mu).abs() + (xa - xb).abs()) / range;
        let better = utility(0.5 - 0.25 * m, r);
        let worse = utility(0.5 + 0.25 * m, r);
        let t = if (xa - mu).abs() < (xa - xb).abs() {
            1.0
        } else {
            0.0
        };
        let pab = p[a * n + b];
        let sb = actors[b].s;
        sb * (pab * success + (1.0 - pab) * failure) + (1.0 - sb) * success
            - q * status_quo
            - (1.0 - q) * (t * better + (1.0 - t) * worse)
    };
    (one(i, j), one(j, i))
}

/// Risk exponents from each actor's exposure: the sum of the others'
/// expected utilities of challenging it (all weighed risk-neutrally),
/// scaled between the least and the most exposed actor to R in [-1, 1],
/// then r = (1 - R/3) / (1 + R/3), in [1/2, 2].
fn risks(actors: &mut [Actor], p: &[f64], mu: f64, range: f64, q: f64) {
    for a in actors.iter_mut() {
        a.r = 1.0;
    }
    let exposure: Vec<f64> = (0..actors.len())
        .map(|i| {
            (0..actors.len())
                .filter(|&j| j != i)
                .map(|j| eu_pair(actors, p, j, i, 1.0, mu, range, q).0)
                .sum()
        })
        .collect();
    let hi = exposure.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = exposure.iter().copied().fold(f64::INFINITY, f64::min);
    if hi - lo > 1e-12 {
        for (a, e) in actors.iter_mut().zip(&exposure) {
            let big_r = (2.0 * e - hi - lo) / (hi - lo);
            a.r = (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0);
        }
    }
}

/// Runs the model on dimension `d` of `problem`.
pub fn run(problem: &Problem, d: usize, settings: Settings) -> Run {
    let n = problem.actors.len();
    let mut actors: Vec<Actor> = (0..n)
        .filter_map(|a| {
            problem.positions[a][d].map(|x| Actor {
                id: a,
                x,
                c: problem.actors[a].capability,
                s: (problem.saliences[a][d] / 100.0).clamp(0.0, 1.0),
                r: 1.0,
            })
        })
        .collect();
    let snapshot = |actors: &[Actor]| {
        let mut row = vec![None; n];
        for a in actors {
            row[a.id] = Some(a.x);
        }
        row
    };
    let mut rounds = vec![snapshot(&actors)];
    let mut challenges = Vec::new();
    if actors.is_empty() {
        return Run {
            forecast: None,
            rounds,
            challenges,
        };
    }
    let lo = actors.iter().map(|a| a.x).fold(f64::INFINITY, f64::min);
    let hi = actors.iter().map(|a| a.x).fold(f64::NEG_INFINITY, f64::max);
    let range = hi - lo;
    // Everyone already agrees, or nobody can act: nothing to bargain over.
    if range <= 0.0 || actors.iter().all(|a| a.c * a.s == 0.0) {
        let forecast = crate::baseline::median(problem, d);
        return Run {
            forecast,
            rounds,
            challenges,
        };
    }
    let q = settings.q.clamp(0.0, 1.0);
    for round in 1..=settings.max_rounds {
        let mu = median(&actors, range);
        let p = probabilities(&actors, range);
        risks(&mut actors, &p, mu, range, q);
        let mut moves: Vec<Option<(f64, usize, Ending)>> = vec![None; actors.len()];
        for i in 0..actors.len() {
            let r = actors[i].r;
            for j in 0..actors.len() {
                if i == j || actors[i].x == actors[j].x {
                    continue;
                }
                let (eu_ij, eu_ji) = eu_pair(&actors, &p, i, j, r, mu, range, q);
                let (xi, xj) = (actors[i].x, actors[j].x);
                let offer = if eu_ji > eu_ij && eu_ij > 0.0 {
                    Some((xj, Ending::Conflict))
                } else if eu_ji > 0.0 && eu_ij < 0.0 {
                    if eu_ji > -eu_ij {
                        Some((xi + (xj - xi) * (eu_ij / eu_ji).abs(), Ending::Compromise))
                    } else {
                        Some((xj, Ending::Capitulation))
                    }
                } else {
                    None
                };
                // The offer that moves it least (the first of equals).
                if let Some((to, ending)) = offer {
                    let nearer = moves[i].is_none_or(|(m, _, _)| (to - xi).abs() < (m - xi).abs());
                    if nearer {
                        moves[i] = Some((to, j, ending));
                    }
                }
            }
        }
        let mut moved = 0.0f64;
        for (i, m) in moves.iter().enumerate() {
            if let Some((to, j, ending)) = *m {
                let to = to.clamp(lo, hi);
                moved = moved.max((to - actors[i].x).abs());
                challenges.push(Challenge {
                    round,
                    challenger: actors[j].id,
                    target: actors[i].id,
                    ending,
                    to,
                });
                actors[i].x = to;
            }
        }
        rounds.push(snapshot(&actors));
        if moved <= 1e-6 * range {
            break;
        }
    }
    let forecast = Some(median(&actors, range));
    Run {
        forecast,
        rounds,
        challenges,
    }
}
