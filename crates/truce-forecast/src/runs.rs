//! Forecasts over many runs, each drawing the scenario's uncertain
//! estimates (capabilities, weights, option values) anew: each issue's
//! forecast becomes a distribution, summarised by its mean and its 90%
//! interval. Run r draws from its own random stream (seed, stream r), so
//! the answer is the same on any number of threads.

use crate::scenario::{drawn, ScenarioError};
use crate::{forecast_with, Model};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;
use truce_engine::Scenario;

/// Most runs one forecast may make.
pub const MAX_RUNS: u64 = 1_000_000;

/// One issue's forecast over the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// The mean forecast position.
    pub mean: f64,
    /// The 5th and 95th percentiles (linear between order statistics).
    pub interval: [f64; 2],
    /// Runs in which some actor took a position on the issue.
    pub runs: u64,
}

/// The random stream of run `run`.
pub fn run_rng(seed: u64, run: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    rng
}

/// Per run (in run order), per dimension, `model`'s forecast (KTAB's
/// model with `ktab`).
pub fn positions(
    s: &Scenario,
    model: Model,
    ktab: &crate::ktab::Settings,
    runs: u64,
    seed: u64,
) -> Result<Vec<Vec<Option<f64>>>, ScenarioError> {
    let runs = runs.min(MAX_RUNS);
    (0..runs)
        .into_par_iter()
        .map(|r| {
            let mapped = drawn(s, &mut run_rng(seed, r))?;
            Ok(forecast_with(&mapped.problem, model, ktab).positions)
        })
        .collect()
}

/// The `q` quantile of sorted `xs` (linear between order statistics).
fn quantile(xs: &[f64], q: f64) -> f64 {
    let h = q * (xs.len() - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    xs[lo] + (h - lo as f64) * (xs[hi] - xs[lo])
}

/// Each dimension's distribution over the runs (none where no run has a
/// forecast).
pub fn distributions(per_run: &[Vec<Option<f64>>], dimensions: usize) -> Vec<Option<Distribution>> {
    (0..dimensions)
        .map(|d| {
            let mut xs: Vec<f64> = per_run
                .iter()
                .filter_map(|r| r.get(d).copied().flatten())
                .collect();
            if xs.is_empty() {
                return None;
            }
            xs.sort_by(f64::total_cmp);
            Some(Distribution {
                mean: xs.iter().sum::<f64>() / xs.len() as f64,
                interval: [quantile(&xs, 0.05), quantile(&xs, 0.95)],
                runs: xs.len() as u64,
            })
        })
        .collect()
}
