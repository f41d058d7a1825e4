//! The Pareto frontier of an additive agreement space, issue by issue.
//!
//! Utility is a sum over issues, so if an option of one issue is dominated
//! by another option of that issue (for every bargaining party at once), every
//! package using it is dominated by the same package using the other. The
//! frontier of the whole space is therefore built from the frontier of the
//! first issue, merged with each next issue's frontier and filtered again:
//! the work follows the size of the frontiers, not of the space.
//!
//! Valid when utility is additive (no linkages) and no red line binds; the
//! analysis falls back to filtering every package otherwise.

use super::frontier::Frontier;
use crate::model::Scenario;
use crate::utility::Evaluator;

/// Whether the merged frontier equals the enumerated one.
pub fn applies(s: &Scenario, ev: &Evaluator) -> bool {
    !ev.has_linkages() && !(0..s.red_lines.len()).any(|r| s.red_line_binds(r))
}

/// Package numbers on the frontier of the whole space (over the utilities
/// of the valued parties at `pos`), lowest first.
pub fn pareto(ev: &Evaluator, pos: &[usize]) -> Vec<u64> {
    let dims = pos.len();
    let radices = ev.space.radices();
    // Entries of the partial frontier: utilities and partial package numbers.
    let mut front: Vec<(Vec<f64>, Vec<u64>)> = vec![(vec![0.0; dims], vec![0])];
    for (i, &r) in radices.iter().enumerate() {
        let mut options = Frontier::new(dims);
        for o in 0..r as usize {
            let v: Vec<f64> = pos.iter().map(|&k| ev.term(k, i, o)).collect();
            options.push(&v, vec![o as u64]);
        }
        options.compact();
        let options: Vec<(&[f64], &[u64])> = options.entries().collect();
        let mut merged = Frontier::new(dims);
        let mut v = vec![0.0; dims];
        for (a, (fu, _)) in front.iter().enumerate() {
            for (b, (gu, _)) in options.iter().enumerate() {
                for ((x, p), q) in v.iter_mut().zip(fu).zip(gu.iter()) {
                    *x = p + q;
                }
                merged.push(&v, vec![(a * options.len() + b) as u64]);
            }
        }
        merged.compact();
        // Expand each kept pair (and its ties) into partial packages.
        let next: Vec<(Vec<f64>, Vec<u64>)> = merged
            .entries()
            .map(|(u, pairs)| {
                let mut members = Vec::new();
                for &pair in pairs {
                    let (a, b) = (pair as usize / options.len(), pair as usize % options.len());
                    for &p in &front[a].1 {
                        for &o in options[b].1 {
                            members.push(p * r as u64 + o);
                        }
                    }
                }
                (u.to_vec(), members)
            })
            .collect();
        front = next;
    }
    let mut out: Vec<u64> = front.into_iter().flat_map(|(_, m)| m).collect();
    out.sort_unstable();
    out
}
