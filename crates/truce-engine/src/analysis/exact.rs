//! The analysis by exact search ([`super::search`]) instead of enumeration:
//! every optimum, the feasible count and the conflicts, each by its own
//! branch-and-bound query, so the cost follows how hard the question is,
//! not the size of the space.
//!
//! Each query asks for what the enumeration keeps, with the same key and the
//! same tie-break (the lowest package number), so both give the same answer
//! wherever both run; `tests/exact.rs` checks it on thousands of scenarios.

use super::search::{cmp_key, Floor, Found, Objective, Query, SearchError, Searcher};
use super::{conflicts, Context};

/// What the search found, in the enumeration's terms.
pub(super) struct Searched {
    /// Some package is feasible.
    pub exists: bool,
    /// The exact count, or an estimate when counting took too long.
    pub feasible: (u64, Option<super::FeasibleEstimate>),
    pub best_feasible: Vec<Option<f64>>,
    pub best_own: Vec<Option<f64>>,
    pub worst: Vec<f64>,
    pub nearest: Vec<Option<Vec<u16>>>,
    pub offer: Option<Vec<u16>>,
    pub nash: Option<Vec<u16>>,
    pub kalai_smorodinsky: Option<Vec<u16>>,
    pub utilitarian: Option<Vec<u16>>,
    pub egalitarian: Option<Vec<u16>>,
    pub masks: Vec<u64>,
    /// Each question's wall-clock time in milliseconds, in order.
    pub laps: Vec<(&'static str, f64)>,
}

/// Runs every query of the analysis.
pub(super) fn search(
    cx: &Context,
    node_limit: u64,
    count_limit: u64,
) -> Result<Searched, SearchError> {
    // Counting needs nothing the optima find: it runs on the other core.
    let (found, counted) = rayon::join(
        || optima(cx, node_limit),
        || {
            let clock = std::time::Instant::now();
            let count = count_feasible(cx, count_limit);
            (count, clock.elapsed().as_secs_f64() * 1e3)
        },
    );
    let mut found = found?;
    if found.exists {
        found.feasible = counted.0;
        found
            .laps
            .push(("search: feasible count (alongside the rest)", counted.1));
    }
    Ok(found)
}

/// The feasible count by search, or a sample's estimate past `count_limit`.
fn count_feasible(cx: &Context, count_limit: u64) -> (u64, Option<super::FeasibleEstimate>) {
    let sr = Searcher::new(cx.ev, u64::MAX);
    let (red_binding, floors) = cx.feasibility();
    match sr.count(red_binding, &floors, count_limit) {
        Ok(Some(n)) => (u64::try_from(n).unwrap_or(u64::MAX), None),
        _ => {
            let hits = sr.sample_count(red_binding, &floors, SAMPLES);
            let e = super::FeasibleEstimate::new(
                cx.ev.space.size().unwrap_or(u64::MAX),
                SAMPLES,
                hits,
                count_limit,
            );
            (e.point, Some(e))
        }
    }
}

/// Every question but the count.
fn optima(cx: &Context, node_limit: u64) -> Result<Searched, SearchError> {
    let ev = cx.ev;
    let v = ev.valued.len();
    let sr = Searcher::new(ev, node_limit);
    let (red_binding, floors) = cx.feasibility();
    let feasible_q = |objective| Query {
        red: red_binding,
        floors: &floors,
        objective,
    };
    let value = |f: Option<Found>| f.map(|f| f.key[0]);
    let mut laps: Vec<(&'static str, f64)> = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |name: &'static str, laps: &mut Vec<(&'static str, f64)>| {
        let now = std::time::Instant::now();
        laps.push((name, (now - clock).as_secs_f64() * 1e3));
        clock = now;
    };

    let mut best_feasible = Vec::with_capacity(v);
    let mut best_own = Vec::with_capacity(v);
    let mut worst = Vec::with_capacity(v);
    for k in 0..v {
        best_feasible.push(value(sr.best(&feasible_q(Objective::Max(k)))?));
        best_own.push(value(sr.best(&Query {
            red: cx.own_red[k],
            floors: &[],
            objective: Objective::Max(k),
        })?));
        worst.push(
            value(sr.best(&Query {
                red: 0,
                floors: &[],
                objective: Objective::Min(k),
            })?)
            .map_or(0.0, |x| -x),
        );
    }
    lap("search: each party's best and worst", &mut laps);
    let feasible_exists = best_feasible.first().is_none_or(|b| b.is_some())
        && sr.best(&feasible_q(Objective::Any))?.is_some();

    let pos = &cx.bargain_pos[..];
    let res = &cx.bargain_res[..];
    let package = |f: Option<Found>| f.map(|f| f.package);
    let (mut nash, mut ks, mut utilitarian, mut egalitarian, mut offer) =
        (None, None, None, None, None);
    let mut nearest = vec![None; cx.plans.len()];
    let feasible = (0, None);
    let mut masks = Vec::new();
    if feasible_exists {
        // Solutions are Pareto-optimal: a package that wins by a last-bit
        // rounding difference while another dominates it does not count.
        let nash_found =
            sr.best_undominated(&feasible_q(Objective::Nash(pos, res)), pos, &floors, None)?;
        lap("search: Nash", &mut laps);
        let util_found =
            sr.best_undominated(&feasible_q(Objective::Sum(pos)), pos, &floors, None)?;
        lap("search: utilitarian", &mut laps);
        // A better egalitarian package than the best of those found gives
        // every party at least that smallest gain: floors that the search
        // prunes with (the margin only widens them).
        let egal = Objective::Egalitarian(pos, res);
        let start = [&nash_found, &util_found]
            .into_iter()
            .flatten()
            .map(|f| Found {
                key: egal.key(&f.utilities, &f.utilities, 0),
                ..f.clone()
            })
            .max_by(|a, b| cmp_key(&a.key, &b.key).then(b.package.cmp(&a.package)));
        let mut egal_floors = floors.clone();
        if let Some(f) = &start {
            for (&k, &r) in pos.iter().zip(res) {
                egal_floors.push(Floor::at_least(k, r + f.key[0] - 1e-9));
            }
        }
        let egal_found = sr.best_undominated(
            &Query {
                red: red_binding,
                floors: &egal_floors,
                objective: egal,
            },
            pos,
            &floors,
            start,
        )?;
        lap("search: egalitarian", &mut laps);
        // Best possible gains on the feasible set (the frontier's ideal point).
        let ideal: Vec<f64> = pos
            .iter()
            .zip(res)
            .map(|(&k, &r)| best_feasible[k].map_or(0.0, |b| b - r))
            .collect();
        let share_found = sr.best(&feasible_q(Objective::SmallestShare(pos, res, &ideal)))?;
        let seeds: Vec<Found> = [&nash_found, &util_found, &egal_found, &share_found]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let smallest_share = share_found.as_ref().map(|f| f.key[0]);
        ks = package(sr.kalai_smorodinsky(
            red_binding,
            &floors,
            pos,
            res,
            &ideal,
            &seeds,
            smallest_share,
        )?);
        nash = package(nash_found);
        utilitarian = package(util_found);
        egalitarian = package(egal_found);
        lap("search: Kalai-Smorodinsky", &mut laps);
        for (p, plan) in cx.plans.iter().enumerate() {
            nearest[p] = package(sr.best(&feasible_q(Objective::Nearest(plan, pos, res)))?);
        }
        if let Some((m, r, own)) = cx.mediator {
            let mut fl = floors.clone();
            fl.push(Floor::at_least(m, r));
            offer = package(sr.best(&Query {
                red: red_binding | own,
                floors: &fl,
                objective: Objective::Offer(m, pos, res),
            })?);
        }
        lap("search: nearest packages and offer", &mut laps);
    } else {
        masks = minimal_violations(cx, &sr)?;
        lap("search: conflicts", &mut laps);
    }
    Ok(Searched {
        exists: feasible_exists,
        feasible,
        best_feasible,
        best_own,
        worst,
        nearest,
        offer,
        nash,
        kalai_smorodinsky: ks,
        utilitarian,
        egalitarian,
        masks,
        laps,
    })
}

/// Packages drawn to estimate the feasible count when counting is too long.
const SAMPLES: u64 = 200_000;

pub(super) fn red_mask(red_count: usize) -> u64 {
    if red_count >= 64 {
        u64::MAX
    } else {
        (1u64 << red_count) - 1
    }
}

/// The constraints of `set` (bits over red lines, then the bargaining
/// parties' reservation values) as a query's red lines and floors.
fn constraints_of(cx: &Context, set: u64) -> (u64, Vec<Floor>) {
    let red = set & red_mask(cx.red_count);
    let floors = (0..cx.bargain_pos.len())
        .filter(|b| set >> (cx.red_count + b) & 1 == 1)
        .map(|b| Floor::at_least(cx.bargain_pos[b], cx.bargain_res[b]))
        .collect();
    (red, floors)
}

/// The binding constraints a package breaks.
fn violations(cx: &Context, package: &[u16]) -> u64 {
    let e = cx.ev.evaluate(package);
    let mut mask = e.crossed;
    for (b, (&k, &r)) in cx.bargain_pos.iter().zip(&cx.bargain_res).enumerate() {
        if e.utilities[k] - r < 0.0 {
            mask |= 1 << (cx.red_count + b);
        }
    }
    mask & cx.binding
}

/// A package that keeps every constraint of `set`, if one exists.
fn satisfying(cx: &Context, sr: &Searcher, set: u64) -> Result<Option<Vec<u16>>, SearchError> {
    let (red, floors) = constraints_of(cx, set);
    Ok(sr
        .best(&Query {
            red,
            floors: &floors,
            objective: Objective::Any,
        })?
        .map(|f| f.package))
}

/// The minimal violation masks the conflicts are the hitting sets of,
/// found as needed (an implicit hitting-set search): a minimal hitting set
/// of the masks found so far is a conflict when no package keeps all of
/// it; otherwise that package's mask, shrunk until minimal, joins them.
/// At the end every minimal hitting set of the masks is a conflict, and
/// these are exactly the minimal hitting sets of every package's mask.
fn minimal_violations(cx: &Context, sr: &Searcher) -> Result<Vec<u64>, SearchError> {
    let mut masks: Vec<u64> = Vec::new();
    let mut verified: std::collections::HashSet<u64> = std::collections::HashSet::new();
    loop {
        let (sets, _) = conflicts::minimal_conflicts(&masks, usize::MAX / 128);
        let candidates: Vec<u64> = if masks.is_empty() {
            vec![0]
        } else {
            sets.into_iter().filter(|h| !verified.contains(h)).collect()
        };
        if candidates.is_empty() {
            return Ok(masks);
        }
        for h in candidates {
            match satisfying(cx, sr, h)? {
                None => {
                    verified.insert(h);
                }
                Some(package) => {
                    // The package keeps all of h, so its mask is new.
                    let mask = shrink(cx, sr, violations(cx, &package))?;
                    if mask == 0 || masks.contains(&mask) {
                        // Only when a package is feasible after all.
                        return Ok(masks);
                    }
                    masks.push(mask);
                    break;
                }
            }
        }
    }
}

/// A violation mask no other package's mask is a strict subset of, within
/// `mask`.
fn shrink(cx: &Context, sr: &Searcher, mut mask: u64) -> Result<u64, SearchError> {
    let mut bits = mask;
    while bits != 0 {
        let c = bits & bits.wrapping_neg();
        bits ^= c;
        if mask & c == 0 {
            continue;
        }
        let keep = (cx.binding & !mask) | c;
        if let Some(p) = satisfying(cx, sr, keep)? {
            mask = violations(cx, &p);
            bits &= mask;
        }
    }
    Ok(mask)
}
