//! A truce scenario as a forecasting problem.
//!
//! Actors: the parties with preferences, with the capability the scenario
//! gives them (equal, 1 each, when it gives none). Dimensions: the ordered
//! issues (listed options in order, or numeric), each option placed on
//! 0 to 100 along the scale (first option 0, last 100; numeric options by
//! their number). A party's position is where its most valued option lies
//! (the first of equally valued ones); its salience is its weight on the
//! issue × 100 (no position where its weight is 0). Unordered issues have no scale to stand on: they are left
//! out, and said to be.

use crate::problem::{Actor, Dimension, Problem, ProblemError};
use truce_engine::model::Noted;
use truce_engine::Scenario;

/// Why a scenario cannot be forecast.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// Some parties have a capability and others do not.
    #[error("party `{0}` has no capability while others do; give every party with preferences a capability, or none")]
    MissingCapability(String),
    /// No ordered issue or no party with preferences.
    #[error("{0}")]
    Nothing(String),
    /// The problem itself.
    #[error(transparent)]
    Problem(#[from] ProblemError),
}

/// The problem, and what was left out or assumed on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    /// The problem.
    pub problem: Problem,
    /// Per actor, the scenario's party index.
    pub parties: Vec<usize>,
    /// Per dimension, the scenario's issue index.
    pub issues: Vec<usize>,
    /// Issues left out (unordered).
    pub skipped: Vec<usize>,
    /// Whether capabilities were assumed equal (the scenario gives none).
    pub equal_capability: bool,
}

/// Maps `s` to a forecasting problem, at its estimates' values.
pub fn from_scenario(s: &Scenario) -> Result<Mapped, ScenarioError> {
    map(s, &mut |n| n.value)
}

/// Maps `s` to a forecasting problem with every estimate drawn from its
/// spread, in a fixed order: per party with preferences its capability,
/// then its weights (scaled back to their nominal sum, as the simulator
/// scales them), then its option values issue by issue.
pub fn drawn(s: &Scenario, rng: &mut impl rand::Rng) -> Result<Mapped, ScenarioError> {
    map(s, &mut |n| truce_engine::model::draw(n, rng))
}

fn map(s: &Scenario, value: &mut dyn FnMut(&Noted<f64>) -> f64) -> Result<Mapped, ScenarioError> {
    let parties = s.valued_parties();
    if parties.is_empty() {
        return Err(ScenarioError::Nothing(
            "no party has preferences; a forecast needs positions".into(),
        ));
    }
    let given = parties
        .iter()
        .filter(|&&k| s.parties[k].capability.is_some())
        .count();
    if given != 0 && given != parties.len() {
        if let Some(&k) = parties.iter().find(|&&k| s.parties[k].capability.is_none()) {
            return Err(ScenarioError::MissingCapability(s.parties[k].id.clone()));
        }
    }
    let (issues, skipped): (Vec<usize>, Vec<usize>) =
        (0..s.issues.len()).partition(|&i| s.issues[i].ordered || s.issues[i].numeric.is_some());
    if issues.is_empty() {
        return Err(ScenarioError::Nothing(
            "no ordered or numeric issue; positions need a scale (mark an issue `ordered = true`)"
                .into(),
        ));
    }
    let places: Vec<Vec<f64>> = issues
        .iter()
        .map(|&i| {
            let issue = &s.issues[i];
            let n = issue.scale_len();
            match &issue.numeric {
                Some(scale) if scale.max > scale.min => (0..n)
                    .map(|o| {
                        ((scale.value(o) - scale.min) / (scale.max - scale.min) * 100.0)
                            .clamp(0.0, 100.0)
                    })
                    .collect(),
                _ if n > 1 => (0..n).map(|o| o as f64 * 100.0 / (n - 1) as f64).collect(),
                _ => vec![50.0; n],
            }
        })
        .collect();
    let dimensions: Vec<Dimension> = issues
        .iter()
        .zip(&places)
        .map(|(&i, place)| Dimension {
            id: s.issues[i].id.clone(),
            options: s.issues[i]
                .options
                .iter()
                .zip(place)
                .map(|(o, &p)| (o.id.clone(), p))
                .collect(),
            outcome: None,
        })
        .collect();
    let mut actors = Vec::with_capacity(parties.len());
    let mut positions = Vec::with_capacity(parties.len());
    let mut saliences = Vec::with_capacity(parties.len());
    for &k in &parties {
        let party = &s.parties[k];
        actors.push(Actor {
            name: party.id.clone(),
            capability: party.capability.as_ref().map_or(1.0, &mut *value),
        });
        let Some(prefs) = s.preferences[k].as_ref() else {
            continue;
        };
        let nominal: f64 = prefs.issues.iter().map(|ip| ip.weight.value).sum();
        let mut weights: Vec<f64> = prefs.issues.iter().map(|ip| value(&ip.weight)).collect();
        let drawn: f64 = weights.iter().sum();
        if drawn > 0.0 {
            for w in &mut weights {
                *w *= nominal / drawn;
            }
        }
        let values: Vec<Vec<f64>> = prefs
            .issues
            .iter()
            .map(|ip| ip.values.iter().map(&mut *value).collect())
            .collect();
        let mut p = Vec::with_capacity(issues.len());
        let mut w = Vec::with_capacity(issues.len());
        for (&i, place) in issues.iter().zip(&places) {
            let ideal = (0..place.len()).fold(None::<(usize, f64)>, |best, o| {
                let v = values[i].get(o).copied().unwrap_or(0.0);
                match best {
                    Some((_, b)) if b >= v => best,
                    _ => Some((o, v)),
                }
            });
            // An issue it gives no weight is one it takes no position on.
            p.push(ideal.filter(|_| weights[i] > 0.0).map(|(o, _)| place[o]));
            w.push(weights[i] * 100.0);
        }
        positions.push(p);
        saliences.push(w);
    }
    let problem = Problem::new(s.name.clone(), actors, dimensions, positions, saliences)?;
    Ok(Mapped {
        problem,
        parties,
        issues,
        skipped,
        equal_capability: given == 0,
    })
}

/// The package a model forecasts on a scenario: per issue of the scenario,
/// the forecast position and the nearest option's index; none for issues
/// without a scale (unordered) or without a position on them.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastPackage {
    /// The model.
    pub model: crate::Model,
    /// Per scenario issue: (position, option index).
    pub issues: Vec<Option<(f64, usize)>>,
}

/// `model`'s forecast package on `s`.
pub fn forecast_package(
    s: &Scenario,
    model: crate::Model,
) -> Result<ForecastPackage, ScenarioError> {
    let mapped = from_scenario(s)?;
    let out = crate::forecast(&mapped.problem, model);
    let mut issues = vec![None; s.issues.len()];
    for ((&i, d), p) in mapped
        .issues
        .iter()
        .zip(&mapped.problem.dimensions)
        .zip(&out.positions)
    {
        let Some(p) = *p else { continue };
        let nearest = d
            .options
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 .1 - p).abs().total_cmp(&(b.1 .1 - p).abs()))
            .map(|(o, _)| o);
        if let Some(o) = nearest {
            issues[i] = Some((p, o));
        }
    }
    Ok(ForecastPackage { model, issues })
}
