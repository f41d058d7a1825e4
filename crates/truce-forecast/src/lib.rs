//! Forecasts of a collective decision from where each actor stands on
//! each issue (position, 0 to 100), how much it cares (salience) and how
//! much it can bring to bear (capability): the inputs of the
//! political-science forecasting models (Bueno de Mesquita's expected
//! utility model, KTAB's Spatial Model of Politics, the compromise model).
//!
//! Pure: problems come in as values ([`read`] parses text handed to it,
//! [`from_scenario`] maps a truce scenario), forecasts go out as values.

pub mod baseline;
pub mod bdm;
pub mod evaluate;
pub mod ktab;
pub mod problem;
pub mod read;
pub mod runs;
pub mod scenario;

pub use problem::{Actor, Dimension, Problem, ProblemError};
pub use scenario::{forecast_package, from_scenario, ForecastPackage};

use serde::Serialize;

/// A forecasting model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// The capability × salience weighted mean of the positions.
    Compromise,
    /// The capability × salience weighted median position.
    Median,
    /// Bueno de Mesquita's expected-utility model (challenges,
    /// compromises and capitulations round by round), issue by issue.
    Bdm,
    /// KTAB's Spatial Model of Politics (bargains settled by probabilistic
    /// Condorcet elections), all issues at once.
    Ktab,
}

impl Model {
    /// Every model, in the order reports list them.
    pub const ALL: [Model; 4] = [Model::Compromise, Model::Median, Model::Bdm, Model::Ktab];

    /// The model's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Model::Compromise => "compromise",
            Model::Median => "median",
            Model::Bdm => "bdm",
            Model::Ktab => "ktab",
        }
    }

    /// The model named `name`, if any.
    pub fn parse(name: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// What a model forecasts for one problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// The model.
    pub model: Model,
    /// Per dimension: the forecast position (0 to 100), or none where no
    /// actor takes a position.
    pub positions: Vec<Option<f64>>,
    /// Every actor's position per round (round, actor, dimension); the
    /// first round is the input. Models without rounds give one; an issue
    /// that settles early keeps its last positions in later rounds.
    pub rounds: Vec<Vec<Vec<Option<f64>>>>,
    /// For `bdm`: per issue (dimension index), the offers that moved an
    /// actor, round by round.
    pub challenges: Vec<(usize, bdm::Challenge)>,
    /// For `ktab`: per round, each actor's probability that its position
    /// prevails.
    pub prevailing: Vec<Vec<f64>>,
    /// Why the model gave no forecast, where it could not run.
    pub notes: Vec<String>,
}

/// Runs `model` on `problem` (KTAB's model with its default settings).
pub fn forecast(problem: &Problem, model: Model) -> Outcome {
    forecast_with(problem, model, &ktab::Settings::default())
}

/// Runs `model` on `problem`, KTAB's model with `settings`.
pub fn forecast_with(problem: &Problem, model: Model, settings: &ktab::Settings) -> Outcome {
    let dims = problem.dimensions.len();
    match model {
        Model::Ktab => match ktab::run(problem, settings) {
            Ok(run) => {
                let mut positions = vec![None; dims];
                for (c, &d) in run.dimensions.iter().enumerate() {
                    positions[d] = run.forecast.get(c).copied();
                }
                let rounds = run
                    .turns
                    .iter()
                    .map(|t| {
                        t.positions
                            .iter()
                            .map(|row| {
                                let mut all = vec![None; dims];
                                for (c, &d) in run.dimensions.iter().enumerate() {
                                    all[d] = row.get(c).copied();
                                }
                                all
                            })
                            .collect()
                    })
                    .collect();
                Outcome {
                    model,
                    positions,
                    rounds,
                    challenges: Vec::new(),
                    prevailing: run.turns.into_iter().map(|t| t.prevailing).collect(),
                    notes: Vec::new(),
                }
            }
            Err(e) => Outcome {
                model,
                positions: vec![None; dims],
                rounds: vec![problem.positions.clone()],
                challenges: Vec::new(),
                prevailing: Vec::new(),
                notes: vec![e.to_string()],
            },
        },
        Model::Compromise | Model::Median => Outcome {
            model,
            positions: (0..dims)
                .map(|d| match model {
                    Model::Median => baseline::median(problem, d),
                    _ => baseline::compromise(problem, d),
                })
                .collect(),
            rounds: vec![problem.positions.clone()],
            challenges: Vec::new(),
            prevailing: Vec::new(),
            notes: Vec::new(),
        },
        Model::Bdm => {
            let runs: Vec<bdm::Run> = (0..dims)
                .map(|d| bdm::run(problem, d, bdm::Settings::default()))
                .collect();
            let longest = runs.iter().map(|r| r.rounds.len()).max().unwrap_or(1);
            let rounds = (0..longest)
                .map(|t| {
                    (0..problem.actors.len())
                        .map(|a| {
                            runs.iter()
                                .map(|r| {
                                    let row = r.rounds.get(t).or(r.rounds.last());
                                    row.and_then(|row| row[a])
                                })
                                .collect()
                        })
                        .collect()
                })
                .collect();
            Outcome {
                model,
                positions: runs.iter().map(|r| r.forecast).collect(),
                rounds,
                challenges: runs
                    .into_iter()
                    .enumerate()
                    .flat_map(|(d, r)| r.challenges.into_iter().map(move |c| (d, c)))
                    .collect(),
                prevailing: Vec::new(),
                notes: Vec::new(),
            }
        }
    }
}
