//! The two baselines every forecasting model is measured against.
//!
//! Both weigh an actor's position on a dimension by its capability times
//! its salience there; actors without a position on it take no part. When
//! every weight is zero (nobody cares, or nobody can act), each position
//! counts once: a forecast from the positions alone rather than none.

use crate::Problem;

/// The weights, or equal ones where they sum to zero.
fn weights(taken: &[(f64, f64)]) -> Vec<f64> {
    let total: f64 = taken.iter().map(|t| t.1).sum();
    if total > 0.0 {
        taken.iter().map(|t| t.1).collect()
    } else {
        vec![1.0; taken.len()]
    }
}

/// The compromise model: the weighted mean of the positions on dimension
/// `d`; none if no actor takes one.
pub fn compromise(problem: &Problem, d: usize) -> Option<f64> {
    let taken = problem.weighted(d);
    if taken.is_empty() {
        return None;
    }
    let w = weights(&taken);
    let total: f64 = w.iter().sum();
    let sum: f64 = taken.iter().zip(&w).map(|(t, w)| t.0 * w).sum();
    // Rounding must not carry the mean outside the positions' range.
    let (lo, hi) = range(&taken);
    Some((sum / total).clamp(lo, hi))
}

/// The median voter: the position on dimension `d` at which the weight of
/// the positions below it and the weight of those above it are each at
/// most half the total. Where two positions qualify (the weight splits
/// exactly in half between them), the lower; none if no actor takes a
/// position.
pub fn median(problem: &Problem, d: usize) -> Option<f64> {
    let taken = problem.weighted(d);
    if taken.is_empty() {
        return None;
    }
    let w = weights(&taken);
    let mut order: Vec<(f64, f64)> = taken.iter().map(|t| t.0).zip(w).collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = order.iter().map(|o| o.1).sum();
    let mut below = 0.0;
    for (p, w) in &order {
        // The first position whose cumulative weight reaches half.
        if below + w >= total / 2.0 {
            return Some(*p);
        }
        below += w;
    }
    order.last().map(|o| o.0)
}

fn range(taken: &[(f64, f64)]) -> (f64, f64) {
    taken
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
            (lo.min(t.0), hi.max(t.0))
        })
}
