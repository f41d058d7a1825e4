//! How good a model's forecasts are, on decisions whose outcomes are
//! known: the absolute error of each forecast on the 0 to 100 scale.

use crate::read::Decisions;
use crate::{forecast, Model};
use rayon::prelude::*;
use serde::Serialize;

/// One model's accuracy over a table of decisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Accuracy {
    /// Mean absolute error (0 to 100 scale); none without forecasts.
    pub mean_abs_error: Option<f64>,
    /// Median absolute error (the mean of the middle two for an even
    /// count); none without forecasts.
    pub median_abs_error: Option<f64>,
    /// Share of forecasts within 10 points of the outcome; none without
    /// forecasts.
    pub within_10: Option<f64>,
    /// Decisions forecast (those where some actor takes a position).
    pub forecast: usize,
    /// Decisions in the table.
    pub decisions: usize,
}

/// Each decision's absolute error under `model`, in table order (none
/// where no actor takes a position).
pub fn errors(decisions: &Decisions, model: Model) -> Vec<Option<f64>> {
    decisions
        .problems
        .par_iter()
        .map(|p| {
            let outcome = p.dimensions.first().and_then(|d| d.outcome)?;
            let position = forecast(p, model).positions.first().copied().flatten()?;
            Some((position - outcome).abs())
        })
        .collect()
}

/// `model`'s accuracy on `decisions`.
pub fn accuracy(decisions: &Decisions, model: Model) -> Accuracy {
    let mut e: Vec<f64> = errors(decisions, model).into_iter().flatten().collect();
    e.sort_by(f64::total_cmp);
    let n = e.len();
    let some = (n > 0).then_some(n as f64);
    let mean = some.map(|n| e.iter().sum::<f64>() / n);
    let median = some.map(|_| {
        if n % 2 == 1 {
            e[n / 2]
        } else {
            (e[n / 2 - 1] + e[n / 2]) / 2.0
        }
    });
    let within = some.map(|n| e.iter().filter(|&&x| x <= 10.0).count() as f64 / n);
    Accuracy {
        mean_abs_error: mean,
        median_abs_error: median,
        within_10: within,
        forecast: n,
        decisions: decisions.problems.len(),
    }
}
