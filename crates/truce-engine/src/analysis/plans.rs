//! How each party stands on a plan: utility, support, acceptability, the
//! red lines it crosses, the provisions the party would change (caveats),
//! and the nearest package everyone can accept.

use super::{Analysis, Point};
use crate::model::Scenario;
use crate::utility::Evaluator;

/// A provision a party would change, and what the change brings it.
#[derive(Debug, Clone, PartialEq)]
pub struct Caveat {
    /// The issue (scenario index).
    pub issue: usize,
    /// The plan's option.
    pub from: usize,
    /// The option the party would rather have.
    pub to: usize,
    /// Utility gained by the change alone.
    pub gain: f64,
    /// The party's own red lines the change stops crossing.
    pub resolves: Vec<usize>,
    /// The party's linkages (scenario indices) that the change makes hold
    /// or stop holding: part of the gain is theirs.
    pub linkages: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
/// Where one valued party stands on a plan.
pub struct PartyView {
    /// The party (scenario index).
    pub party: usize,
    /// Its utility of the plan.
    pub utility: f64,
    /// Percent of the way from the party's worst package to its best
    /// feasible one (docs/analysis.md).
    pub support: f64,
    /// Its reservation value.
    pub reservation: f64,
    /// Whether the plan gives it at least its reservation value.
    pub clears_reservation: bool,
    /// The party's own red lines the plan crosses.
    pub crosses: Vec<usize>,
    /// Whether it can sign: no red line of its own crossed, reservation value cleared.
    pub acceptable: bool,
    /// Ranked: red lines resolved first, then gain.
    pub caveats: Vec<Caveat>,
}

#[derive(Debug, Clone, PartialEq)]
/// The acceptable package nearest to a plan.
pub struct Nearest {
    /// The package and its utilities.
    pub point: Point,
    /// Issues whose provision changes.
    pub changes: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
/// How every valued party stands on one plan, what blocks it and what must change.
pub struct PlanReport {
    /// The plan (scenario index).
    pub plan: usize,
    /// Per valued party.
    pub parties: Vec<PartyView>,
    /// Every red line the plan crosses, whoever owns it.
    pub red_lines_crossed: Vec<usize>,
    /// Binding constraints the plan breaks (mask over `Analysis::constraints`).
    pub blocking: u64,
    /// The nearest feasible package: fewest changed provisions, ties broken
    /// by the larger Nash product.
    pub nearest: Option<Nearest>,
}

impl PlanReport {
    /// Whether every binding constraint holds for the plan.
    pub fn feasible(&self) -> bool {
        self.blocking == 0
    }
}

pub(super) fn report(
    s: &Scenario,
    ev: &Evaluator,
    analysis: &Analysis,
    plan: usize,
    nearest: Option<Point>,
) -> PlanReport {
    let package = s.plans[plan].package();
    let eval = ev.evaluate(&package);
    let red_lines_crossed: Vec<usize> = (0..s.red_lines.len())
        .filter(|&r| eval.crossed >> r & 1 == 1)
        .collect();
    let mut blocking = eval.crossed & analysis.binding;
    let red_count = s.red_lines.len();
    for (b, &p) in analysis.bargaining.iter().enumerate() {
        let k = ev.valued_pos[p].unwrap_or(0);
        if eval.utilities[k] < analysis.parties[k].reservation {
            blocking |= 1 << (red_count + b);
        }
    }
    let parties = analysis
        .parties
        .iter()
        .enumerate()
        .map(|(k, summary)| {
            let p = summary.party;
            let own: Vec<usize> = (0..s.red_lines.len())
                .filter(|&r| s.red_lines[r].party == p)
                .collect();
            let crosses: Vec<usize> = own
                .iter()
                .copied()
                .filter(|&r| eval.crossed >> r & 1 == 1)
                .collect();
            let utility = eval.utilities[k];
            let best = summary.best_feasible.or(summary.best_own).unwrap_or(1.0);
            let support = if best > summary.worst {
                (100.0 * (utility - summary.worst) / (best - summary.worst)).clamp(0.0, 100.0)
            } else {
                100.0
            };
            let clears = utility >= summary.reservation;
            PartyView {
                party: p,
                utility,
                support,
                reservation: summary.reservation,
                clears_reservation: clears,
                acceptable: clears && crosses.is_empty(),
                caveats: caveats(s, ev, k, &package, utility, &own, &crosses),
                crosses,
            }
        })
        .collect();
    let nearest = nearest.map(|point| {
        let changes = (0..package.len())
            .filter(|&i| point.package[i] != package[i])
            .collect();
        Nearest { point, changes }
    });
    PlanReport {
        plan,
        parties,
        red_lines_crossed,
        blocking,
        nearest,
    }
}

/// For each issue, the single change the party likes best: first the one
/// that stops crossing most of its own red lines, then the largest gain.
fn caveats(
    s: &Scenario,
    ev: &Evaluator,
    k: usize,
    package: &[u16],
    utility: f64,
    own: &[usize],
    crosses: &[usize],
) -> Vec<Caveat> {
    let mut out = Vec::new();
    let mut candidate = package.to_vec();
    for (i, issue) in s.issues.iter().enumerate() {
        let mut best: Option<(usize, f64, Vec<usize>)> = None;
        for o in 0..issue.options.len() {
            if o == package[i] as usize {
                continue;
            }
            candidate[i] = o as u16;
            let e = ev.evaluate(&candidate);
            let still: Vec<usize> = own
                .iter()
                .copied()
                .filter(|&r| e.crossed >> r & 1 == 1)
                .collect();
            let u = e.utilities[k];
            let better = match &best {
                None => true,
                Some((_, bu, bs)) => still.len() < bs.len() || (still.len() == bs.len() && u > *bu),
            };
            if better {
                best = Some((o, u, still));
            }
        }
        candidate[i] = package[i];
        if let Some((o, u, still)) = best {
            let resolves: Vec<usize> = crosses
                .iter()
                .copied()
                .filter(|r| !still.contains(r))
                .collect();
            let worsens = still.iter().any(|r| !crosses.contains(r));
            // A gain within the tie tolerance is none (a linkage may have
            // pushed the utility to its bound of 1, leaving only rounding).
            let gains = u - utility > super::frontier::UTILITY_EPS;
            if !worsens && (!resolves.is_empty() || gains) {
                candidate[i] = o as u16;
                let party = ev.valued[k];
                let linkages = s
                    .linkages
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.party == party && l.when.holds(package) != l.when.holds(&candidate)
                    })
                    .map(|(l, _)| l)
                    .collect();
                candidate[i] = package[i];
                out.push(Caveat {
                    issue: i,
                    from: package[i] as usize,
                    to: o,
                    gain: u - utility,
                    resolves,
                    linkages,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        b.resolves
            .len()
            .cmp(&a.resolves.len())
            .then(b.gain.total_cmp(&a.gain))
            .then(a.issue.cmp(&b.issue))
    });
    out
}
